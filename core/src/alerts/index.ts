// Alert rules, pure: rule schema and validation, the rule engine (live, one event at a time) and its batch form.
export * from './alert.ts';
export * from './alert-gate.ts';
export * from './batch-evaluation.ts';
export * from './confidence.ts';
export * from './engine-events.ts';
export * from './rule-condition.ts';
export * from './rule-durations.ts';
export * from './rule-engine.ts';
export * from './rule-error.ts';
export * from './rule-file.ts';
export * from './rule-operand.ts';
export * from './rule-schema.ts';
export * from './time-window.ts';
export * from './rule-references.ts';
export * from './delivery.ts';
export * from './rule-yaml.ts';
