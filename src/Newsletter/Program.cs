using Newsletter.Cli;
using Newsletter.Composition;

try
{
    var builder = NewsletterHostBuilder.Create(args);
    builder.Services.AddNewsletter();

    var app = builder.Build();
    app.MapNewsletter();

    return await CommandLine.RunAsync(app, args);
}
catch (Exception e) when (StartupErrors.IsStartupError(e))
{
    // One clear line, no stack trace: the message names the key, file or value that is wrong.
    await Console.Error.WriteLineAsync("newsletter: " + StartupErrors.Describe(e));
    return 1;
}

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
