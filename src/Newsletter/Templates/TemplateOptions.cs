using System.ComponentModel.DataAnnotations;

namespace Newsletter.Templates;

/// <summary>The "Templates" section: the folder of Scriban templates.</summary>
public sealed class TemplateOptions
{
    public const string Section = "Templates";

    [Required(ErrorMessage = "is required")]
    public string Path { get; set; } = "templates";
}
