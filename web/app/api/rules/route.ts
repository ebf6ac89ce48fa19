// GET /api/rules: every rule; POST: create one (YAML validated with core's rule schema).
import { apiGet } from '@/lib/api/route-handler.ts';
import { apiRoutes } from '@/lib/api/routes.ts';
import { apiWrite } from '@/lib/api/write-route-handler.ts';
import { writeRoutes } from '@/lib/api/write-routes.ts';
import { createRule, listRules } from '@/lib/queries/rules.ts';
import { db } from '@/lib/server/db.ts';
import { ruleReferences } from '@/lib/server/rule-references.ts';

export const dynamic = 'force-dynamic';

export const GET = apiGet(apiRoutes.rules, () => listRules(db()));

export const POST = apiWrite(writeRoutes.createRule, (body) => createRule(db(), body, ruleReferences()));
