/**
 * What is wrong with a text JSON.parse refused, without quoting the text. V8's messages
 * quote the input (`Unexpected token 's', "sk-live_12"... is not valid JSON`), and the text
 * may be a secret or hold one: an error must never carry a piece of it.
 */
export function jsonProblem(e: unknown): string {
  const m = e instanceof Error ? e.message : '';
  if (/^Unexpected end of JSON input$/.test(m)) return 'the text ends before the JSON value does';
  // these shapes name the grammar and a position, never the input
  const at = /^([^"]{1,80}?) in JSON at position (\d+)/.exec(m);
  if (at && !/^Unexpected token /.test(at[1]!)) return `${at[1]!.replace(/^./, (c) => c.toLowerCase())} at position ${at[2]}`;
  const pos = /at position (\d+)/.exec(m)?.[1];
  return `not valid JSON${pos ? ` (at position ${pos})` : ''}`;
}
