/** A request failure is a timeout by its code or error class, never because its message says "timeout". */
import { AxiosError } from 'axios';
import { describe, expect, it } from 'vitest';
import { classifyHttpError } from '../../../src/infra/http.js';

describe('classifyHttpError and timeouts', () => {
  it('axios timeouts and AbortSignal.timeout are E_TIMEOUT', () => {
    expect(classifyHttpError(new AxiosError('timeout of 50ms exceeded', 'ECONNABORTED')).code).toBe('E_TIMEOUT');
    expect(classifyHttpError(new AxiosError('connect ETIMEDOUT', 'ETIMEDOUT')).code).toBe('E_TIMEOUT');
    expect(classifyHttpError(new DOMException('The operation was aborted due to timeout', 'TimeoutError')).code).toBe('E_TIMEOUT');
  });

  it('an error whose words mention a timeout is not one', () => {
    const e = classifyHttpError(new AxiosError('proxy said: Keep-Alive timeout header invalid', 'ERR_BAD_REQUEST'));
    expect(e.code).toBe('E_HTTP');
  });
});
