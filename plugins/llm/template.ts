/**
 * Prompt files: Markdown with optional YAML front matter (`system`, `vars` defaults,
 * `temperature`, `maxTokens`, `model`) and `{{ name }}` / `${{ vars.name }}` placeholders.
 * No expressions, no code: a placeholder is a dotted path into `vars`, nothing more.
 */
import { mpv2Error } from 'mpv2/plugin';
import { parseYamlData, PROTOTYPE_KEYS } from 'mpv2/plugin';

export interface PromptFile {
  body: string;
  system?: string;
  vars: Record<string, unknown>;
  temperature?: number;
  maxTokens?: number;
  model?: string;
}

const FRONT = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;
// `\{{` escapes; `${{ vars.a.b }}`, `${{ inputs.a }}`, `{{ a.b }}`, `{{a}}` all name a path
const PLACEHOLDER = /(\\)?(\$)?\{\{\s*([^{}]*?)\s*\}\}/g;
const PATH = /^[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*$/;

export function parsePromptFile(text: string, file: string): PromptFile {
  const m = FRONT.exec(text);
  if (!m) return { body: text, vars: {} };
  // the pipeline rules (src/infra/yaml.ts); line numbers count the opening `---`
  const { data: meta, problems } = parseYamlData(m[1]!, { forbiddenKeys: PROTOTYPE_KEYS });
  const p = problems[0];
  if (p) {
    throw mpv2Error('E_FILE', `the front matter of prompt file ${file} is not valid YAML: ${p.message} (line ${p.line + 1}, column ${p.column})`, {
      loc: { file, line: p.line + 1, column: p.column }, hint: p.hint,
    });
  }
  const fm = (meta && typeof meta === 'object' ? meta : {}) as Record<string, unknown>;
  const allowed = ['system', 'vars', 'temperature', 'maxTokens', 'model', 'description'];
  const unknown = Object.keys(fm).filter((k) => !allowed.includes(k));
  if (unknown.length) {
    throw mpv2Error('E_FILE', `unknown front matter key${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')} in prompt file ${file} (allowed: ${allowed.join(', ')})`);
  }
  return {
    body: text.slice(m[0].length),
    system: typeof fm.system === 'string' ? fm.system : undefined,
    vars: fm.vars && typeof fm.vars === 'object' ? (fm.vars as Record<string, unknown>) : {},
    temperature: typeof fm.temperature === 'number' ? fm.temperature : undefined,
    maxTokens: typeof fm.maxTokens === 'number' ? fm.maxTokens : undefined,
    model: typeof fm.model === 'string' ? fm.model : undefined,
  };
}

function lookup(vars: Record<string, unknown>, path: string): { found: boolean; value?: unknown } {
  let cur: unknown = vars;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || !Object.prototype.hasOwnProperty.call(cur, part)) return { found: false };
    cur = (cur as Record<string, unknown>)[part];
  }
  return { found: true, value: cur };
}

function show(v: unknown): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number')) return v.join(', ');
  if (v === null || v === undefined) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** Replaces placeholders; an unknown name is an error that lists the names there are. */
export function renderTemplate(text: string, vars: Record<string, unknown>, where: string): string {
  return text.replace(PLACEHOLDER, (whole, escaped: string | undefined, dollar: string | undefined, expr: string) => {
    if (escaped) return whole.slice(1);
    // `${{ vars.x }}` / `${{ inputs.x }}` read like pipeline expressions; both mean `vars.x`
    const path = dollar || /^(vars|inputs)\./.test(expr) ? expr.replace(/^(vars|inputs)\./, '') : expr;
    if (!PATH.test(path)) {
      throw mpv2Error('E_INPUT_INVALID', `${where}: placeholder "${whole}" is not a variable name (prompt files allow \`{{ name }}\` and \`{{ name.field }}\` only; write \\{{ for literal braces)`);
    }
    const r = lookup(vars, path);
    if (!r.found) {
      const names = Object.keys(vars);
      throw mpv2Error('E_INPUT_INVALID', `${where}: no value for "{{ ${path} }}" (vars given: ${names.length ? names.join(', ') : 'none'})`, {
        hint: `pass it with \`vars: { ${path.split('.')[0]}: … }\` on the step, or give a default under \`vars:\` in the file's front matter`,
      });
    }
    return show(r.value);
  });
}
