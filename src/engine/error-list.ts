import { Mpv2Error } from '../errors.js';

/** Collects every error of a file so users see all of them at once, not just the first. */
export class ErrorList {
  readonly errors: Mpv2Error[] = [];

  add(e: Mpv2Error): void {
    this.errors.push(e);
  }

  throwIfAny(): void {
    if (this.errors.length === 1) throw this.errors[0];
    if (this.errors.length > 1) throw new ValidationErrors(this.errors);
  }
}

/** Several errors found before running; printed one after the other. */
export class ValidationErrors extends Mpv2Error {
  constructor(readonly errors: Mpv2Error[]) {
    super(errors[0]!.code, `${errors.length} problems found:\n${errors.map((e) => `- ${e.message}`).join('\n')}`, { loc: errors[0]!.loc });
    this.name = 'Mpv2Error';
    this.hint = undefined; // each problem has its own
  }

  /** The first problem's shape, with every problem in `errors`. */
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), errors: this.errors.map((e) => e.toJSON()) };
  }
}
