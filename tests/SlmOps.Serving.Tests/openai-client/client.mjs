// The official openai client, unchanged, against SlmOps.Serving: one completion, one streamed completion, the model
// list, and one refusal. Prints one JSON object for OpenAiClientTests to check. Settings from the environment:
// SLMOPS_BASE_URL (the serving host's /v1), SLMOPS_API_KEY, SLMOPS_MODEL.
import OpenAI from "openai";

const client = new OpenAI({ baseURL: process.env.SLMOPS_BASE_URL, apiKey: process.env.SLMOPS_API_KEY, maxRetries: 0 });
const model = process.env.SLMOPS_MODEL;
const request = { model, prompt: "hello world", max_tokens: 8, temperature: 0.8, seed: 7 };

const completion = await client.completions.create(request);

let streamed = "";
let chunks = 0;
let finish = null;
const stream = await client.completions.create({ ...request, stream: true });
for await (const chunk of stream) {
  chunks++;
  streamed += chunk.choices[0]?.text ?? "";
  finish = chunk.choices[0]?.finish_reason ?? finish;
}

const models = await client.models.list();
const ids = [];
for await (const card of models) ids.push(card.id);

let refusal = null;
try {
  await client.completions.create({ ...request, model: "no-such-model" });
} catch (error) {
  refusal = { status: error.status, code: error.code ?? error.error?.code ?? null, message: error.message };
}

console.log(JSON.stringify({
  text: completion.choices[0].text,
  finishReason: completion.choices[0].finish_reason,
  usage: completion.usage,
  streamed,
  chunks,
  streamFinishReason: finish,
  models: ids,
  refusal,
}));
