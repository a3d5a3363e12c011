using System.ComponentModel.DataAnnotations;

namespace Newsletter.Mail;

/// <summary>The "Dkim" section: when all three are set, every mail is DKIM-signed.</summary>
public sealed class DkimOptions : IValidatableObject
{
    public const string Section = "Dkim";

    public string? Domain { get; set; }

    public string? Selector { get; set; }

    public string? PrivateKeyPath { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(Domain);

    private static bool IsRsaPrivateKey(string path)
    {
        try
        {
            using var rsa = System.Security.Cryptography.RSA.Create();
            rsa.ImportFromPem(File.ReadAllText(path));
            return true;
        }
        catch (Exception e) when (e is ArgumentException or System.Security.Cryptography.CryptographicException or IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

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
        else if (!IsRsaPrivateKey(PrivateKeyPath))
        {
            // Found now rather than at the first mail, where it would fail a signup or a whole send.
            yield return new ValidationResult($"names a file that holds no PEM RSA private key ({PrivateKeyPath})", [nameof(PrivateKeyPath)]);
        }
    }
}
