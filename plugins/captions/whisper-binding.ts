/**
 * whisper.cpp in-process, through the native half of the npm package @fugood/whisper.node:
 * `@fugood/node-whisper-<platform>-<arch>` (about 3 MB on linux-x64, CPU only). mpv2 neither
 * depends on it nor installs it: the `local` provider loads it when used, from the project's
 * node_modules, then from where mpv2 itself is installed (a global install next to mpv2), then
 * NODE_PATH, and says how to install it when none has it. The package's wrapper,
 * @fugood/whisper.node, also works (it brings the same package), but on linux it pulls CUDA and
 * Vulkan builds too (about 250 MB), which the CPU path does not need.
 *
 * The module's native log (model loading, warnings) is routed here instead of stderr; a failed
 * model load is reported with whisper.cpp's own reason from it.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { mpv2Error } from 'mpv2/plugin';

export const WHISPER_PACKAGE = `@fugood/node-whisper-${process.platform}-${process.arch}`;

export interface WhisperSegment {
  text: string;
  /** Milliseconds from the start of the audio. */
  t0: number;
  t1: number;
}

export interface WhisperResult {
  /** The whole transcript, decoded in one piece. */
  result: string;
  /** The language whisper.cpp used (its code: `en`, `de` …). */
  language?: string;
  segments: WhisperSegment[];
  isAborted: boolean;
}

/** The options of `transcribeData` that mpv2 sets (whisper_full_params underneath). */
export interface WhisperOptions {
  /** A whisper.cpp language code, or `auto` to detect it. */
  language: string;
  tokenTimestamps: boolean;
  /** Characters a segment may hold: 1 makes every token its own segment, with its own times. */
  maxLen: number;
  maxThreads?: number;
  /** 0–100. */
  onProgress?: (progress: number) => void;
}

export interface WhisperJob {
  /**
   * Marks the job cancelled. The binding gives whisper.cpp no abort callback, so the native work
   * still runs to its end in the background; the promise then rejects and the result is dropped.
   */
  stop(): Promise<void>;
  promise: Promise<WhisperResult>;
}

export interface WhisperModel {
  /** 16-bit mono PCM at 16 kHz. */
  transcribeData(pcm16: ArrayBuffer, options: WhisperOptions): WhisperJob;
  /** Frees the model once no job runs on it any more (a running job keeps it alive). */
  release(): Promise<void>;
}

interface NativeModule {
  WhisperContext: {
    new (options: { filePath: string }): WhisperModel;
    toggleNativeLog(enable: boolean, callback?: (level: string, text: string) => void): void;
  };
}

export interface WhisperBinding {
  /** Where the package was found. */
  readonly path: string;
  /** Loads a model file; rejects with whisper.cpp's reason when it cannot. */
  open(model: string): Promise<WhisperModel>;
  /** Receives the native log lines (level `error`, `warn`, `info`) until the returned function is called. */
  listen(listener: (level: string, text: string) => void): () => void;
}

/** The install command to give users of this platform. */
export const installHint = (pkg = WHISPER_PACKAGE): string =>
  `install whisper.cpp's Node binding where mpv2 finds it: \`npm install ${pkg}\` in the project (or \`npm install -g ${pkg}\` next to a global mpv2)`;

/** The package's resolved path, or undefined when neither the project nor mpv2's install has it. */
export function findWhisperBinding(root: string, pkg = WHISPER_PACKAGE): string | undefined {
  for (const from of [join(root, 'package.json'), import.meta.url]) {
    try {
      return createRequire(from).resolve(pkg);
    } catch {
      // not installed there: try the next place
    }
  }
  return undefined;
}

const loaded = new Map<string, WhisperBinding>();

/** How long a failed model load waits for whisper.cpp's reason in its log. */
const LOG_WAIT_MS = 500;

/**
 * Loads (once per process and path) the binding; E_DEPENDENCY_MISSING when it is absent or does
 * not load. `pkg` is this platform's package; tests name others.
 */
export function loadWhisperBinding(root: string, pkg = WHISPER_PACKAGE): WhisperBinding {
  const path = findWhisperBinding(root, pkg);
  if (!path) {
    throw mpv2Error('E_DEPENDENCY_MISSING', `captions.transcribe (provider local) needs the npm package ${pkg} (whisper.cpp), which is not installed`, { hint: installHint(pkg) });
  }
  let binding = loaded.get(path);
  if (!binding) {
    let native: NativeModule;
    try {
      native = createRequire(import.meta.url)(path) as NativeModule;
    } catch (e) {
      throw mpv2Error('E_DEPENDENCY_MISSING', `${pkg} (${path}) could not be loaded: ${(e as Error).message}`, { cause: e, hint: `reinstall it (\`npm install ${pkg}\`); it needs glibc and libgomp (Debian: libgomp1)` });
    }
    binding = bind(path, native);
    loaded.set(path, binding);
  }
  return binding;
}

function bind(path: string, native: NativeModule): WhisperBinding {
  const listeners = new Set<(level: string, text: string) => void>();
  // the native log holds the event loop open while it is on: on only while someone listens,
  // else a process that merely loaded the binding (`mpv2 doctor`) would never exit
  const listen = (l: (level: string, text: string) => void) => {
    if (listeners.size === 0) native.WhisperContext.toggleNativeLog(true, (level, text) => { for (const x of listeners) x(level, text); });
    listeners.add(l);
    return () => {
      listeners.delete(l);
      if (listeners.size === 0) native.WhisperContext.toggleNativeLog(false);
    };
  };
  return {
    path,
    listen,
    async open(model) {
      const errors: string[] = [];
      let firstError: (() => void) | undefined;
      const stop = listen((level, text) => { if (level === 'error') { errors.push(text.trim()); firstError?.(); } });
      try {
        return new native.WhisperContext({ filePath: model });
      } catch (e) {
        // the native log reaches JavaScript through the event loop after the constructor has
        // thrown: wait for its first error line (at most LOG_WAIT_MS), then one turn for the rest
        if (errors.length === 0) await new Promise<void>((r) => { firstError = r; setTimeout(r, LOG_WAIT_MS); });
        await new Promise((r) => setTimeout(r, 0));
        throw new Error(errors.length ? errors.join('; ') : (e as Error).message, { cause: e });
      } finally {
        stop();
      }
    },
  };
}
