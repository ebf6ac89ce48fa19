// PUT /api/rules/{id}: replace a rule; PATCH: switch it on or off; DELETE: delete it (API rules only).
import { apiWrite } from '@/lib/api/write-route-handler.ts';
import { idParameter } from '@/lib/api/write-handler.ts';
import { writeRoutes } from '@/lib/api/write-routes.ts';
import { deleteRule, replaceRule, toggleRule } from '@/lib/queries/rules.ts';
import { db } from '@/lib/server/db.ts';
import { ruleReferences } from '@/lib/server/rule-references.ts';

export const dynamic = 'force-dynamic';

export const PUT = apiWrite(writeRoutes.replaceRule, (body, params) =>
  replaceRule(db(), idParameter(params.id ?? ''), body, ruleReferences()),
);

export const PATCH = apiWrite(writeRoutes.toggleRule, (body, params) => toggleRule(db(), idParameter(params.id ?? ''), body.is_active));

export const DELETE = apiWrite(writeRoutes.deleteRule, (_body, params) => deleteRule(db(), idParameter(params.id ?? '')));
