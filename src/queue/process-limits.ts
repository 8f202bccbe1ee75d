/**
 * Named limits shared by every run of one local worker process (a run on its own gets fresh
 * buckets; a worker running several at once must not give each its own 30/minute).
 */
import { Limit, LimitRegistry, type LimitSpec } from '../engine/limits.js';

export class ProcessLimits {
  private readonly limits = new Map<string, { spec: string; limit: Limit }>();

  /** A factory for `RunStores.limits`. */
  readonly factory = (pipeline: Record<string, LimitSpec>, config: Record<string, LimitSpec>): LimitRegistry => {
    const shared = this.limits;
    const registry = new (class extends LimitRegistry {
      override get(name: string): Limit | undefined {
        const own = super.get(name);
        if (!own) return undefined;
        const spec = JSON.stringify({ ...pipeline, ...config }[name]);
        const have = shared.get(name);
        // a pipeline that defines the limit differently gets its own (the config's always wins)
        if (have && have.spec === spec) return have.limit;
        shared.set(name, { spec, limit: own });
        return own;
      }
    })(pipeline, config);
    return registry;
  };
}
