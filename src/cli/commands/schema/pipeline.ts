import { Flags } from '@oclif/core';
import { BaseCommand } from '../../base.js';

export default class SchemaPipeline extends BaseCommand {
  static override summary = 'Print the JSON Schema of pipeline files';
  static override description = 'The schema of the pipeline language (schemas/pipeline.schema.json). Editors with the YAML language server use it for completion and hover help: start a pipeline with `# yaml-language-server: $schema=<path of this schema>`.';
  static override examples = ['<%= config.bin %> schema pipeline > pipeline.schema.json', '<%= config.bin %> schema pipeline --out .vscode/pipeline.schema.json'];
  static override flags = { out: Flags.string({ char: 'o', description: 'Write the schema to this file instead of printing it' }) };

  async run(): Promise<void> {
    const { flags } = await this.parse(SchemaPipeline);
    const { pipelineSchemaText } = await import('../../../engine/admin/schemas.js');
    const text = pipelineSchemaText();
    if (!flags.out) { process.stdout.write(text); return; }
    const { mkdirSync, writeFileSync } = await import('node:fs');
    const { dirname, resolve } = await import('node:path');
    mkdirSync(dirname(resolve(flags.out)), { recursive: true });
    writeFileSync(resolve(flags.out), text);
    this.log(`Wrote ${flags.out}`);
  }
}
