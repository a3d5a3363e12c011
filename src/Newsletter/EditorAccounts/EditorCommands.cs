using System.CommandLine;

namespace Newsletter.EditorAccounts;

/// <summary>
/// `editors add ADDRESS [--name NAME]`, `editors remove ADDRESS`, `editors list`. Each seeds from
/// Newsletter:Editors first, as the first start would (a command may come before it).
/// </summary>
public static class EditorCommands
{
    public static IEnumerable<Command> Create(IServiceProvider services)
    {
        var address = new Argument<string>("address") { Description = "The editor's mail address." };
        var name = new Option<string?>("--name") { Description = "The editor's name, shown in the console." };
        var add = new Command("add", "Add an editor: they can then sign in with a link mailed to this address.") { address, name };
        add.SetAction(async (parse, ct) =>
        {
            var email = EditorDirectory.Normalise(parse.GetValue(address), out var error);
            if (email is null)
            {
                await Console.Error.WriteLineAsync($"newsletter: {error}");
                return 1;
            }

            if (parse.GetValue(name) is { Length: > EditorDirectory.MaxName })
            {
                await Console.Error.WriteLineAsync($"newsletter: --name must be at most {EditorDirectory.MaxName} characters");
                return 1;
            }

            await using var scope = services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<EditorSeed>().SeedAsync(ct);
            var added = await scope.ServiceProvider.GetRequiredService<EditorDirectory>().AddAsync(email, parse.GetValue(name), ct);
            Console.WriteLine(added == EditorAdded.Added ? $"Added editor {email}." : $"{email} is an editor already.");
            return 0;
        });

        var removeAddress = new Argument<string>("address") { Description = "The editor's mail address." };
        var remove = new Command("remove", "Remove an editor and end their sessions.") { removeAddress };
        remove.SetAction(async (parse, ct) =>
        {
            var email = EditorDirectory.Normalise(parse.GetValue(removeAddress), out var error);
            if (email is null)
            {
                await Console.Error.WriteLineAsync($"newsletter: {error}");
                return 1;
            }

            await using var scope = services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<EditorSeed>().SeedAsync(ct);
            if (!await scope.ServiceProvider.GetRequiredService<EditorDirectory>().RemoveAsync(email, ct))
            {
                await Console.Error.WriteLineAsync($"newsletter: {email} is not an editor");
                return 1;
            }

            Console.WriteLine($"Removed editor {email}; their sessions are ended.");
            return 0;
        });

        var list = new Command("list", "List the editors: address, then name.");
        list.SetAction(async (parse, ct) =>
        {
            await using var scope = services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<EditorSeed>().SeedAsync(ct);
            foreach (var editor in await scope.ServiceProvider.GetRequiredService<EditorDirectory>().ListAsync(ct))
            {
                Console.WriteLine(editor.Name is null ? editor.Email : $"{editor.Email}\t{editor.Name}");
            }

            return 0;
        });

        yield return new Command("editors", "Add, remove or list the editors.") { add, remove, list };
    }
}
