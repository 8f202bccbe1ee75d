/** One line of `mpv2 doctor`. */
export type CheckLevel = 'ok' | 'warn' | 'error';

export interface DoctorCheck {
  /** What was checked: `node`, `ffmpeg`, `llm provider openai`, … */
  name: string;
  level: CheckLevel;
  message: string;
  hint?: string;
  /** The plugins whose `check` reported this line (plugin checks only). */
  plugins?: string[];
}

export const ok = (name: string, message: string): DoctorCheck => ({ name, level: 'ok', message });
export const warn = (name: string, message: string, hint?: string): DoctorCheck => ({ name, level: 'warn', message, ...(hint && { hint }) });
export const error = (name: string, message: string, hint?: string): DoctorCheck => ({ name, level: 'error', message, ...(hint && { hint }) });
