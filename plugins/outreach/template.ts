/**
 * Message templates: Liquid (liquidjs) in strict mode, so a variable that a lead does not
 * have is an error, not an empty hole in a sent email (`{{ x | default: "…" }}` and
 * `{% if x %}` accept a missing one). No file system, no JavaScript evaluation. The body is
 * Markdown: rendered once with raw values for the plain-text part, once with HTML-escaped
 * values and through `marked` for the HTML part.
 */
import { Liquid, type Template } from 'liquidjs';
import { marked } from 'marked';
import { mpv2Error } from 'mpv2/plugin';

const OPTIONS = {
  strictVariables: true,
  strictFilters: true,
  lenientIf: true,
  ownPropertyOnly: true,
  // no {% include %} / {% render %} from disk: an empty in-memory template store
  templates: {},
  parseLimit: 1_000_000,
  renderLimit: 2_000,
};

const textEngine = new Liquid(OPTIONS);
const htmlEngine = new Liquid({ ...OPTIONS, outputEscape: 'escape' });

export interface CompiledTemplate {
  name: string;
  text: Template[];
  html: Template[];
}

/** Parses a template; a syntax error is an input error naming the template and position. */
export function compileTemplate(name: string, source: string): CompiledTemplate {
  try {
    return { name, text: textEngine.parse(source), html: htmlEngine.parse(source) };
  } catch (e) {
    throw mpv2Error('E_PLUGIN_INPUT_INVALID', `the ${name} template cannot be parsed: ${(e as Error).message}`, {
      cause: e,
      hint: 'templates use Liquid: `{{ company }}`, `{{ name | default: "there" }}`, `{% if city %}…{% endif %}`',
    });
  }
}

export async function renderText(t: CompiledTemplate, vars: Record<string, unknown>): Promise<string> {
  return renderWith(textEngine, t.text, t.name, vars);
}

/** Markdown body → HTML fragment, variables HTML-escaped. */
export async function renderHtml(t: CompiledTemplate, vars: Record<string, unknown>): Promise<string> {
  const md = await renderWith(htmlEngine, t.html, t.name, vars);
  return marked.parse(md, { async: false, gfm: true, breaks: true });
}

async function renderWith(engine: Liquid, tpl: Template[], name: string, vars: Record<string, unknown>): Promise<string> {
  try {
    return await engine.render(tpl, vars);
  } catch (e) {
    throw mpv2Error('E_PLUGIN_INPUT_INVALID', `the ${name} template: ${(e as Error).message}`, {
      cause: e,
      hint: 'every lead needs the fields the template uses; give a fallback with `{{ field | default: "…" }}` or wrap optional parts in `{% if field %}…{% endif %}`',
    });
  }
}

/** One line for a Subject header: whitespace runs (newlines included) become one space. */
export function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
