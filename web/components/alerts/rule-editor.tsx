'use client';
// The /rules page's rules: the list with on/off switches, and a form creating or editing a rule's YAML
// whose validation errors (from the API, which checks with core's rule schema) show beside the field.
import { useState } from 'react';
import type { WireRule } from '@/lib/api/rule-api-schemas.ts';
import { createRule, deleteRule, FieldError, replaceRule, type RuleInput, toggleRule } from '@/lib/alerts/alerts-client.ts';

const EXAMPLE_YAML = `rule_type: indicator
contracts: watchlist
timeframes: [5m]
condition: { compare: { left: rsi_14, op: "<", right: 30 } }
direction: long
severity: info
cooldown: 10m
`;

const EMPTY: RuleInput = { name: '', description: '', priority: 0, is_active: true, config_yaml: EXAMPLE_YAML };

/** The YAML without the column keys the API writes in (they are edited in their own fields). */
function editableYaml(yaml: string): string {
  return yaml
    .split('\n')
    .filter((line) => !/^(name|description|priority|is_active)\s*:/.test(line))
    .join('\n');
}

export function RuleEditor({ initial }: { readonly initial: readonly WireRule[] }) {
  const [rules, setRules] = useState(initial);
  const [editing, setEditing] = useState<number | null>(null);
  const [form, setForm] = useState<RuleInput>(EMPTY);
  const [problem, setProblem] = useState<{ field: string | undefined; message: string } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const report = (err: unknown): void =>
    setProblem(err instanceof FieldError ? { field: err.field, message: err.message } : { field: undefined, message: String(err) });
  const replaceRow = (rule: WireRule): void =>
    setRules((rows) =>
      rows.some((r) => r.rule_id === rule.rule_id) ? rows.map((r) => (r.rule_id === rule.rule_id ? rule : r)) : [rule, ...rows],
    );

  const onSave = (event: React.FormEvent): void => {
    event.preventDefault();
    setProblem(null);
    (editing === null ? createRule(form) : replaceRule(editing, form))
      .then((rule) => {
        replaceRow(rule);
        setNotice(`Saved rule "${rule.name}" (${rule.rule_type}).`);
        setEditing(null);
        setForm(EMPTY);
      })
      .catch(report);
  };
  const onEdit = (rule: WireRule): void => {
    setEditing(rule.rule_id);
    setProblem(null);
    setForm({
      name: rule.name,
      description: rule.description,
      priority: rule.priority,
      is_active: rule.is_active,
      config_yaml: editableYaml(rule.config_yaml),
    });
  };
  const onToggle = (rule: WireRule): void => {
    toggleRule(rule.rule_id, !rule.is_active).then(replaceRow).catch(report);
  };
  const onDelete = (rule: WireRule): void => {
    deleteRule(rule.rule_id)
      .then(() => setRules((rows) => rows.filter((r) => r.rule_id !== rule.rule_id)))
      .catch(report);
  };
  const fieldError = (prefix: string) =>
    problem !== null && problem.field !== undefined && (problem.field === prefix || problem.field.startsWith(`${prefix}.`)) ? (
      <p className="form-error" role="alert" data-testid={`error-${prefix}`}>
        {problem.message}
      </p>
    ) : null;
  const otherError =
    problem !== null &&
    !['name', 'description', 'priority', 'config_yaml'].some((f) => problem.field === f || problem.field?.startsWith(`${f}.`)) ? (
      <p className="form-error" role="alert">
        {problem.message}
      </p>
    ) : null;

  return (
    <>
      <table className="contract-table" data-testid="rule-list">
        <thead>
          <tr>
            <th>Rule</th>
            <th>Type</th>
            <th>Priority</th>
            <th>Source</th>
            <th>Active</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rules.length === 0 && (
            <tr>
              <td colSpan={6} className="muted">
                No rules yet: create one below, or add files to config/rules.
              </td>
            </tr>
          )}
          {rules.map((r) => (
            <tr key={r.rule_id} data-testid="rule-row" data-rule={r.name}>
              <td>
                <strong>{r.name}</strong>
                <div className="muted">{r.description}</div>
              </td>
              <td>{r.rule_type}</td>
              <td className="num">{r.priority}</td>
              <td>{r.source === 'file' ? 'config/rules' : 'API'}</td>
              <td>
                <button type="button" disabled={r.source === 'file'} onClick={() => onToggle(r)} data-testid="rule-toggle">
                  {r.is_active ? 'on' : 'off'}
                </button>
              </td>
              <td>
                {r.source === 'api' ? (
                  <>
                    <button type="button" onClick={() => onEdit(r)}>
                      Edit
                    </button>{' '}
                    <button type="button" onClick={() => onDelete(r)}>
                      Delete
                    </button>
                  </>
                ) : (
                  <span className="muted" title="Rules of config/rules are edited in their file">
                    read-only
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="rule-form" onSubmit={onSave} data-testid="rule-form">
        <h2>{editing === null ? 'New rule' : `Edit rule ${form.name}`}</h2>
        <label>
          Name <input name="name" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
        </label>
        {fieldError('name')}
        <label>
          Description{' '}
          <input name="description" value={form.description} onChange={(e) => setForm({ ...form, description: e.target.value })} />
        </label>
        {fieldError('description')}
        <label>
          Priority{' '}
          <input
            name="priority"
            type="number"
            value={form.priority}
            onChange={(e) => setForm({ ...form, priority: Number(e.target.value) })}
          />
        </label>
        {fieldError('priority')}
        <label className="rule-yaml">
          Rule (YAML; docs/ALERTS.md lists every key)
          <textarea
            name="config_yaml"
            rows={12}
            spellCheck={false}
            value={form.config_yaml}
            onChange={(e) => setForm({ ...form, config_yaml: e.target.value })}
          />
        </label>
        {fieldError('config_yaml')}
        {otherError}
        <button type="submit">{editing === null ? 'Create rule' : 'Save rule'}</button>
        {editing !== null && (
          <button
            type="button"
            onClick={() => {
              setEditing(null);
              setForm(EMPTY);
              setProblem(null);
            }}
          >
            Cancel
          </button>
        )}
        {notice !== null && (
          <p className="muted" role="status">
            {notice}
          </p>
        )}
      </form>
    </>
  );
}
