using Microsoft.Extensions.Options;
using Newsletter.Templates;

namespace Newsletter.Composition;

/// <summary>Turns what stopped the start into the one line Program.cs prints.</summary>
public static class StartupErrors
{
    /// <summary>Everything but WebApplicationFactory's deliberate stop after Build().</summary>
    public static bool IsStartupError(Exception e) => e is not HostAbortedException;

    public static string Describe(Exception e) => e switch
    {
        AggregateException a when a.Flatten().InnerExceptions.All(i => i is OptionsValidationException) =>
            "configuration error: " + string.Join("; ", a.Flatten().InnerExceptions.SelectMany(i => ((OptionsValidationException)i).Failures)),
        AggregateException a => string.Join("; ", a.Flatten().InnerExceptions.Select(Describe)),
        OptionsValidationException o => "configuration error: " + string.Join("; ", o.Failures),
        InvalidOperationException i when i.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal) =>
            "configuration error: " + i.Message,
        TemplateException or FileNotFoundException or DirectoryNotFoundException or InvalidOperationException => e.Message,
        _ => $"{e.Message} ({e.GetType().Name})",
    };
}
