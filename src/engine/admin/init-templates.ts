/** The files `mpv2 init` writes. `schemaRef` is the path of mpv2's schemas folder as seen from the new file. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORE_SECRETS } from '../../config/env.js';
import { PACKAGE_ROOT } from '../../infra/package-root.js';

export function configTemplate(schemaRef: string): string {
  return `# yaml-language-server: $schema=${schemaRef}/config.schema.json
#
# mpv2 project config. Every key is optional: keep only what you change.
# \`mpv2 config show\` prints the merged config and where each value came from;
# \`mpv2 schema config\` and docs/config.md list every key.
# Precedence: flags > environment (MPV2_A__B=1 sets a.b, then .env) > this file > defaults.
# Secrets (API keys) belong in the environment or in .env (see .env.example), not here.

# Steps run at the same time at most (default: the number of CPUs).
# concurrency: 4

# Named limits shared by steps that say \`limit: <name>\`.
limits: {}
#  llm:    { rate: 30/minute, concurrency: 2 }
#  pexels: { rate: 200/hour }

cache:
  enabled: true
  maxSize: 2GB        # least recently used entries go first
  defaultTtl: 7d      # ms, s, m, h, d, w or "forever"

runs:
  keep: 50            # finished runs kept by \`mpv2 runs prune\`

# Third-party plugins besides the mpv2-plugin-* packages in node_modules:
# plugins:
#   - ./my-plugins/hello.js

# Plugin sections, one per namespace (the part of a plugin id before the first dot):
# llm:
#   defaultProvider: mistral
`;
}

/**
 * The first pipeline `mpv2 init` writes: `assets/init/hello.yaml` (it uses built-in plugins,
 * which the core does not name), pointing at the schema folder `schemaRef`.
 */
export function helloPipeline(schemaRef: string): string {
  return readFileSync(join(PACKAGE_ROOT, 'assets', 'init', 'hello.yaml'), 'utf8').replace('__SCHEMA_REF__', schemaRef);
}

/** `.env.example`: mpv2's own secrets and the variables the plugin namespaces declare (`variables`). */
export function envExample(variables: string[]): string {
  const lines = [
    '# Copy to .env (kept out of git) and fill in the keys you use; the environment wins over .env.',
    '# Which plugin reads which key: docs/plugins/. `mpv2 doctor` checks the providers whose key is set.',
    ...[...variables.filter((v) => !(CORE_SECRETS as readonly string[]).includes(v)), ...CORE_SECRETS].map((k) => `${k}=`),
  ];
  return `${lines.join('\n')}\n`;
}
