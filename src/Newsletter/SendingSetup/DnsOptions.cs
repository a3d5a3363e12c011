using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net;

namespace Newsletter.SendingSetup;

/// <summary>The "Dns" section: which resolver the sending-setup checks ask, and how long they wait.</summary>
public sealed class DnsOptions : IValidatableObject
{
    public const string Section = "Dns";

    /// <summary>A resolver as IP or IP:PORT (e.g. 1.1.1.1, 127.0.0.1:5353, [::1]:53); empty: the system's resolvers.</summary>
    public string? Server { get; set; }

    /// <summary>How long one lookup may wait for an answer.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    public IPEndPoint? ServerEndPoint => TryParse(Server, out var endPoint) ? endPoint : null;

    public static bool TryParse(string? server, out IPEndPoint? endPoint)
    {
        endPoint = null;
        if (string.IsNullOrWhiteSpace(server))
        {
            return false;
        }

        var text = server.Trim();
        if (IPAddress.TryParse(text, out var address))
        {
            endPoint = new IPEndPoint(address, 53);
            return true;
        }

        if (IPEndPoint.TryParse(text, out var parsed) && parsed.Port > 0)
        {
            endPoint = parsed;
            return true;
        }

        return false;
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(Server) && !TryParse(Server, out _))
        {
            yield return new ValidationResult("must be a resolver's IP address, optionally with :PORT (e.g. 127.0.0.1:53)", [nameof(Server)]);
        }

        if (Timeout <= TimeSpan.Zero || Timeout > TimeSpan.FromMinutes(1))
        {
            yield return new ValidationResult(
                string.Create(CultureInfo.InvariantCulture, $"must be between 00:00:00.001 and 00:01:00 (is {Timeout})"), [nameof(Timeout)]);
        }
    }
}
