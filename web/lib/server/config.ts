// The web process's settings (config/settings.yaml plus env), loaded once on first use.
import 'server-only';
import { loadConfig, type LoadedConfig } from '@barstream/core/node';

let loaded: LoadedConfig | undefined;

export function webConfig(): LoadedConfig {
  loaded ??= loadConfig();
  return loaded;
}
