import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { parseRuleYaml, withRuleColumns } from './rule-yaml.ts';

const COLUMNS = { name: 'spike', description: 'volume spike on 5m', priority: 3, is_active: true };
const REFS = { contracts: ['SIM.MES', 'SIM.MNQ'], timeframes: ['1m', '5m'], analyzerIds: ['ema_cross'] };
const VALID = '# my spike rule\nrule_type: volume_spike\ncontracts: [SIM.MES]\ntimeframes: [5m]\nmultiple: 3\n';

function problemsOf(text: string, columns = COLUMNS): { field: string; message: string }[] {
  const result = parseRuleYaml(text, columns, REFS);
  if (result.ok) throw new Error('expected problems');
  return [...result.problems];
}

describe('parseRuleYaml', () => {
  it('validates the YAML with the columns and answers the rule and the YAML to store, comments kept', () => {
    const result = parseRuleYaml(VALID, COLUMNS, REFS);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.rule).toMatchObject({ name: 'spike', rule_type: 'volume_spike', multiple: 3, period: 20, priority: 3 });
    expect(result.yaml).toContain('# my spike rule');
    expect(parseDocument(result.yaml).toJS()).toMatchObject({ ...COLUMNS, rule_type: 'volume_spike', multiple: 3 });
    // The stored YAML validates again with the same columns (an edit round trip).
    expect(parseRuleYaml(result.yaml, COLUMNS, REFS).ok).toBe(true);
  });

  it.each([
    ['rule_type: volume_spike\ncontracts: [SIM.MES]\ntimeframes: [5m]\nmultiple: -3\n', 'config_yaml.multiple', /number > 0, got -3/],
    ['rule_type: volume_spik\n', 'config_yaml.rule_type', /did you mean 'volume_spike'/],
    [
      'rule_type: indicator\ncontracts: [SIM.MES]\ntimeframes: [5m]\ncondition: { compare: { left: rsi_14, op: "<<", right: 30 } }\n',
      'config_yaml.condition.compare.op',
      /expected/,
    ],
    [
      'rule_type: volume_spike\ncontracts: [SIM.MEZ]\ntimeframes: [5m]\nmultiple: 3\n',
      'config_yaml.contracts[0]',
      /unknown contract "SIM.MEZ"; did you mean 'SIM.MES'/,
    ],
    ['rule_type: volume_spike\ncontracts: [SIM.MES]\ntimeframes: [5m]\nmultiple: 3\ncolour: red\n', 'config_yaml.colour', /unknown key/],
    ['a: [\n', 'config_yaml', /not valid YAML \(line \d+\)/],
    ['- 1\n', 'config_yaml', /must be a mapping/],
    ['name: other\n', 'config_yaml.name', /leave it out of the YAML/],
    ['', 'config_yaml.rule_type', /missing/],
  ])('%j → %s', (text, field, message) => {
    const [first] = problemsOf(text);
    expect(first?.field).toBe(field);
    expect(first?.message).toMatch(message);
  });

  it('names a bad column by its own field', () => {
    expect(problemsOf(VALID, { ...COLUMNS, name: 'Bad Name' })[0]?.field).toBe('name');
    expect(problemsOf(VALID, { ...COLUMNS, priority: 5000 })[0]?.field).toBe('priority');
  });

  it('lists every problem at once', () => {
    expect(
      problemsOf('rule_type: volume_spike\ncontracts: [SIM.MES]\ntimeframes: [5m]\nmultiple: -1\nperiod: 1\n').map((p) => p.field),
    ).toEqual(['config_yaml.multiple', 'config_yaml.period']);
  });
});

describe('withRuleColumns', () => {
  it('rewrites the column keys, comments kept; leaves unparsable text alone', () => {
    const stored = parseRuleYaml(VALID, COLUMNS, REFS);
    if (!stored.ok) throw new Error('expected a rule');
    const toggled = withRuleColumns(stored.yaml, { ...COLUMNS, is_active: false });
    expect(parseDocument(toggled).toJS()).toMatchObject({ is_active: false, name: 'spike' });
    expect(toggled).toContain('# my spike rule');
    expect(withRuleColumns('a: [\n', COLUMNS)).toBe('a: [\n');
  });
});
