using System.CommandLine;
using System.Text.Json;
using SlmOps.Cli.Api;
using SlmOps.Cli.Client;
using SlmOps.Cli.Config;
using SlmOps.Contracts.Serving;
using Spectre.Console;

namespace SlmOps.Cli.Commands;

/// <summary>`slmops generate TASK[@ALIAS|@N] "prompt"`: the text on stdout, what served it on stderr.</summary>
public static class GenerateCommand
{
    public static Command Create(CliContext context)
    {
        var target = new Argument<string>("TASK") { Description = "TASK (its production alias), TASK@ALIAS or TASK@N (version N)." };
        var prompt = new Argument<string>("PROMPT") { Description = "Text to continue." };
        var maxTokens = new Option<int?>("--max-tokens") { Description = "How many tokens to generate." };
        var temperature = new Option<double?>("--temperature") { Description = "0 is greedy; higher is more random." };
        var topK = new Option<int?>("--top-k") { Description = "Sample among the k most likely tokens (0: all)." };
        var seed = new Option<ulong?>("--seed") { Description = "Same seed, same text (the server picks and returns one if absent)." };
        var compare = new Option<bool>("--compare") { Description = "Also generate with the LLM alone, side by side." };
        var command = new Command("generate", "Continue a prompt with the resident LLM plus a task's SLM.") { target, prompt, maxTokens, temperature, topK, seed, compare };
        ClientOptions.SetAction(command, context, async call =>
        {
            var model = ModelTarget.Parse(call.Value(target));
            var request = new GenerateRequest
            {
                Task = model.Task, Alias = model.Alias, Version = model.Version, Prompt = call.Value(prompt), MaxTokens = call.Value(maxTokens),
                Temperature = call.Value(temperature), TopK = call.Value(topK), Seed = call.Value(seed), Compare = call.Value(compare) ? true : null,
            };
            var json = await call.Api.PostAsync<JsonElement>("api/v1/generate", request, call.Ct);
            if (call.Json) return call.WriteJson(json);
            var answer = Format.Read<GenerateResponse>(json);
            var served = $"{answer.Task}@{answer.Alias ?? answer.Version.ToString()} (version {answer.Version}) on {answer.BaseModel}";
            if (answer.LlmAlone is { } alone)
            {
                call.Out.Write(new Panel(new Text(answer.Text)).Header(Markup.Escape($"LLM + SLM {served}")).Expand());
                call.Out.Write(new Panel(new Text(alone.Text)).Header(Markup.Escape($"LLM alone ({answer.BaseModel})")).Expand());
            }
            else
            {
                call.Out.Profile.Out.Writer.WriteLine(answer.Text);
            }
            call.Say(Markup.Escape($"{served}: {answer.Tokens} tokens, {Format.Number(answer.TokensPerSecond)} tokens/s, {Format.Number(answer.ElapsedMs)} ms, seed {answer.Seed}, SLM cache {answer.SlmCache}"));
            return ExitCodes.Success;
        });
        return command;
    }
}
