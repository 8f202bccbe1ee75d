/**
 * An OpenAI-compatible image endpoint on 127.0.0.1: `POST /v1/images/generations` with a
 * Bearer key; answers `data[0].b64_json`, or `data[0].url` when `response_format: "url"` is
 * asked (served from `/files/<n>.png`). Scripted failures come first.
 */
import { colorPng, json, scripted, sendFile, startServer, type Script, type TestServer } from './images-common.js';

export interface OpenAiImagesOptions {
  key: string;
  script?: Script;
  /** Colours of successive images (cycled). */
  colors?: string[];
  /** Scripted answers of the downloaded `url` files. */
  fileScript?: Script;
}

export async function startOpenAiImages(opts: OpenAiImagesOptions): Promise<TestServer> {
  const colors = opts.colors ?? ['#cc3344', '#33cc44', '#3344cc', '#cccc33', '#33cccc'];
  let n = 0;
  const server: TestServer = await startServer(async (req, res) => {
    if (req.method === 'POST' && req.path === '/v1/images/generations') {
      if (req.headers.authorization !== `Bearer ${opts.key}`) {
        return json(res, 401, { error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } });
      }
      if (scripted(res, opts.script)) return;
      const body = (req.body ?? {}) as { prompt?: string; size?: string; response_format?: string; n?: number };
      if (!body.prompt) return json(res, 400, { error: { message: "Missing required parameter: 'prompt'.", type: 'invalid_request_error' } });
      const i = n++;
      const [w, h] = (body.size ?? '1024x1024').split('x').map((v) => Math.max(16, Math.round(Number(v) / 8)));
      const png = await colorPng(colors[i % colors.length]!, w, h);
      const item = body.response_format === 'url' ? { url: `${server.url}/files/${i}.png?c=${encodeURIComponent(colors[i % colors.length]!)}&w=${w}&h=${h}`, revised_prompt: body.prompt } : { b64_json: png.toString('base64') };
      return json(res, 200, { created: 1700000000, data: [item] });
    }
    const file = /^\/files\/(\d+)\.png$/.exec(req.path);
    if (file) {
      if (scripted(res, opts.fileScript)) return;
      return sendFile(res, 'image/png', await colorPng(req.query.c ?? '#888888', Number(req.query.w ?? 64), Number(req.query.h ?? 64)));
    }
    json(res, 404, { error: { message: 'no such route' } });
  });
  return server;
}
