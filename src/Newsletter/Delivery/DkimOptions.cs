using System.ComponentModel.DataAnnotations;

namespace Newsletter.Delivery;

/// <summary>The "Dkim" section: when all three are set, every mail is DKIM-signed.</summary>
public sealed class DkimOptions : IValidatableObject
{
    public const string Section = "Dkim";

    public string? Domain { get; set; }

    public string? Selector { get; set; }

    public string? PrivateKeyPath { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(Domain);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enabled)
        {
            yield break;
        }

        if (string.IsNullOrWhiteSpace(Selector))
        {
            yield return new ValidationResult("is required when Dkim:Domain is set", [nameof(Selector)]);
        }

        if (string.IsNullOrWhiteSpace(PrivateKeyPath))
        {
            yield return new ValidationResult("is required when Dkim:Domain is set", [nameof(PrivateKeyPath)]);
        }
        else if (!File.Exists(PrivateKeyPath))
        {
            yield return new ValidationResult($"names a file that does not exist ({PrivateKeyPath})", [nameof(PrivateKeyPath)]);
        }
    }
}
