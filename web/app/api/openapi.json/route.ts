// GET /api/openapi.json: the OpenAPI 3.1 document generated from the route registry.
import { openApiDocument } from '@/lib/api/openapi.ts';

export const dynamic = 'force-static';

export function GET(): Response {
  return Response.json(openApiDocument());
}
