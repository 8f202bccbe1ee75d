/**
 * oclif's help, with the commands plugin namespaces contribute: `mpv2 --help` lists every
 * namespace that brings commands as a topic, `mpv2 <namespace> --help` its commands, and
 * `mpv2 <namespace> <name> --help` the command. Contributions load only when help is shown.
 */
import { Help, type Command, type Interfaces } from '@oclif/core';
import { contributions, loadableOf, projectFlag } from './contributed.js';

export default class Mpv2Help extends Help {
  private extraCommands: Command.Loadable[] = [];
  private extraTopics: Interfaces.Topic[] = [];

  protected override get sortedCommands(): Command.Loadable[] {
    return [...super.sortedCommands, ...this.extraCommands].sort((a, b) => a.id.localeCompare(b.id));
  }

  protected override get sortedTopics(): Interfaces.Topic[] {
    return [...super.sortedTopics, ...this.extraTopics].sort((a, b) => a.name.localeCompare(b.name));
  }

  override async showHelp(argv: string[]): Promise<void> {
    const words = argv.filter((a) => !a.startsWith('-'));
    const id = words.join(':');
    if (words.length && (this.config.findCommand(id) || this.config.findTopic(id) || this.config.findCommand(words[0]!))) return super.showHelp(argv);
    const found = await contributions({ cwd: process.cwd(), project: projectFlag(argv), namespace: words[0] });
    this.extraCommands = found.commands.map(loadableOf);
    this.extraTopics = found.namespaces.map((n) => ({ name: n.namespace, description: n.description ?? `Commands of the ${n.namespace}.* plugins`, hidden: false }));
    const command = words.length >= 2 ? this.extraCommands.find((c) => c.id === `${words[0]}:${words[1]}`) : undefined;
    if (command) return this.showCommandHelp(command);
    const topic = words.length ? this.extraTopics.find((t) => t.name === words[0]) : undefined;
    if (topic) return this.showTopicHelp(topic);
    return super.showHelp(argv);
  }
}
