// DELETE /api/trend-labels/{id}: removes one label.
import { jsonResponse } from '@/lib/api/http-errors.ts';
import { idParameter } from '@/lib/api/write-handler.ts';
import { writeRoutes } from '@/lib/api/write-routes.ts';
import { deleteTrendLabel } from '@/lib/queries/trend-labels.ts';

export const dynamic = 'force-dynamic';

export function DELETE(_request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const route = writeRoutes.deleteTrendLabel;
  return jsonResponse(async () => ({
    body: route.response.parse(await deleteTrendLabel(idParameter((await context.params).id))),
    status: route.status,
  }));
}
