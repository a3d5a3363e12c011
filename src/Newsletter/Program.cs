using Newsletter.Cli;
using Newsletter.Hosting;

try
{
    var builder = NewsletterHost.CreateBuilder(args);
    builder.Services.AddNewsletter();

    var app = builder.Build();
    app.MapNewsletter();

    return await CommandLine.RunAsync(app, args);
}
catch (Exception e) when (NewsletterHost.IsStartupError(e))
{
    // One clear line, no stack trace: the message names the key, file or value that is wrong.
    await Console.Error.WriteLineAsync("newsletter: " + NewsletterHost.Describe(e));
    return 1;
}

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
