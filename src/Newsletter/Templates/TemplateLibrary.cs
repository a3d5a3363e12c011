using System.Collections.Frozen;
using Microsoft.Extensions.Options;
using Scriban;
using Scriban.Runtime;

namespace Newsletter.Templates;

/// <summary>
/// Every Scriban template (*.html, *.txt) under Templates:Path, parsed once at start and reused. The one place
/// templates are rendered: files ending in .html are HTML (values escaped), any other is text
/// (values verbatim). A syntax error anywhere stops the start with file, line and column.
/// </summary>
public sealed class TemplateLibrary
{
    private readonly FrozenDictionary<string, Template> _templates;

    /// <summary>
    /// The library's own functions (include), made once: Scriban builds a function from a delegate
    /// by reflection (a dynamic method each time), and doing that for every render was an eighth of
    /// a page's CPU. Read-only, so no render can change what the next one sees.
    /// </summary>
    private readonly ScriptObject _functions;

    public TemplateLibrary(IOptions<TemplateOptions> options, IHostEnvironment environment)
        : this(System.IO.Path.Combine(environment.ContentRootPath, options.Value.Path))
    {
    }

    public TemplateLibrary(string folder)
    {
        Folder = System.IO.Path.GetFullPath(folder);
        if (!Directory.Exists(Folder))
        {
            throw new TemplateException($"Templates:Path names a folder that does not exist ({Folder})");
        }

        var templates = new Dictionary<string, Template>(StringComparer.Ordinal);
        var errors = new List<string>();
        foreach (var file in Directory.EnumerateFiles(Folder, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".html", StringComparison.Ordinal) || f.EndsWith(".txt", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal))
        {
            var name = System.IO.Path.GetRelativePath(Folder, file).Replace('\\', '/');
            var template = Template.Parse(File.ReadAllText(file), file);
            if (template.HasErrors)
            {
                // Scriban's messages read "path(line,column) : error : what"; one line per error.
                errors.AddRange(template.Messages.Select(m => m.ToString()));
                continue;
            }

            templates[name] = template;
        }

        if (errors.Count > 0)
        {
            throw new TemplateException("Template syntax error: " + string.Join("; ", errors));
        }

        _templates = templates.ToFrozenDictionary(StringComparer.Ordinal);
        _functions = new ScriptObject();
        _functions.Import("include", new Func<TemplateContext, string, object>(Include));
        _functions.IsReadOnly = true;
    }

    public string Folder { get; }

    /// <summary>Renders a template; <paramref name="model"/>'s members become the template's variables.</summary>
    public string Render(string name, object model)
    {
        var globals = new ScriptObject();
        globals.Import(model, renamer: MemberRenamer);
        return Render(name, globals);
    }

    /// <summary>Renders a template with prepared globals (reuse them across renders to save work).</summary>
    public string Render(string name, ScriptObject globals)
    {
        var context = CreateContext(name);
        context.PushGlobal(globals);
        try
        {
            return Get(name).Render(context);
        }
        catch (Scriban.Syntax.ScriptRuntimeException e)
        {
            throw new TemplateException($"Template error: {e.Message}", e);
        }
    }

    /// <summary>snake_case names for .NET members, as Scriban templates conventionally use.</summary>
    public static MemberRenamerDelegate MemberRenamer { get; } = StandardMemberRenamer.Default;

    private Template Get(string name) =>
        _templates.TryGetValue(name, out var template)
            ? template
            : throw new TemplateException($"No template {name} in {Folder}");

    private EscapingTemplateContext CreateContext(string name)
    {
        var context = new EscapingTemplateContext
        {
            EscapeHtml = IsHtml(name),
            MemberRenamer = MemberRenamer,
            LoopLimit = 100_000,
        };

        context.PushGlobal(_functions);
        return context;
    }

    /// <summary>Renders a partial into the caller's context; its output is already escaped, so it is raw here.</summary>
    private object Include(TemplateContext context, string name)
    {
        var template = Get(name);
        string output;
        context.PushOutput();
        try
        {
            output = template.Render(context);
        }
        finally
        {
            context.PopOutput();
        }

        return IsHtml(name) ? new RawHtml(output) : output;
    }

    private static bool IsHtml(string name) => name.EndsWith(".html", StringComparison.OrdinalIgnoreCase);
}
