using SlmOps.Cli;
using Spectre.Console;

return SlmOpsCli.Run(args, AnsiConsole.Console);
