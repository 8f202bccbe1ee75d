/** Where the project keeps account secrets. */
import { join } from 'node:path';

/** `<root>/.mpv2/credentials.json` */
export function credentialsFile(root: string): string {
  return join(root, '.mpv2', 'credentials.json');
}
