/** `mpv2 serve --open`: the system's opener for a URL (through the one process runner). */
import { runProcess } from '../infra/process.js';

export async function openInBrowser(url: string): Promise<void> {
  const [file, args] = process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['explorer.exe', [url]] : ['xdg-open', [url]];
  await runProcess(file, args as string[], { name: file, allowFailure: true, timeoutMs: 30_000 });
}
