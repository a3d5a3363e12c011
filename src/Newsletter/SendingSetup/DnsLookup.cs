using System.Globalization;
using System.Net.Sockets;
using DnsClient;
using DnsClient.Protocol;
using Microsoft.Extensions.Options;

namespace Newsletter.SendingSetup;

/// <summary>DNS could not answer (no resolver reachable, a timeout, SERVFAIL): nothing can be said about a record.</summary>
public sealed class DnsUnreachableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// TXT and MX lookups with DnsClient, against Dns:Server or the system's resolvers, no cache, one
/// try per server within Dns:Timeout. "No such name" and "no record" are answers (an empty list);
/// anything else that keeps the answer from us is a <see cref="DnsUnreachableException"/>.
/// </summary>
public sealed class DnsLookup
{
    private readonly LookupClient _client;

    public DnsLookup(IOptions<DnsOptions> options)
    {
        var o = options.Value;
        var lookupOptions = o.ServerEndPoint is { } server ? new LookupClientOptions(new NameServer(server)) : new LookupClientOptions();
        lookupOptions.Timeout = o.Timeout;
        lookupOptions.Retries = 0;
        lookupOptions.UseCache = false;
        lookupOptions.ThrowDnsErrors = false;
        lookupOptions.UseTcpFallback = true;
        lookupOptions.ContinueOnDnsError = false;
        _client = new LookupClient(lookupOptions);
        Resolver = o.ServerEndPoint?.ToString() ?? "the system's resolvers";
        Timeout = o.Timeout;
    }

    public string Resolver { get; }

    public TimeSpan Timeout { get; }

    /// <summary>Each TXT record at <paramref name="name"/>, its strings joined (a record may be split into 255-byte strings).</summary>
    public async Task<IReadOnlyList<string>> TxtAsync(string name, CancellationToken cancellationToken)
    {
        var response = await QueryAsync(name, QueryType.TXT, cancellationToken);
        return [.. response.Answers.TxtRecords().Select(r => string.Concat(r.Text))];
    }

    /// <summary>The MX hosts at <paramref name="name"/>, by preference.</summary>
    public async Task<IReadOnlyList<string>> MxAsync(string name, CancellationToken cancellationToken)
    {
        var response = await QueryAsync(name, QueryType.MX, cancellationToken);
        return [.. response.Answers.MxRecords().OrderBy(m => m.Preference)
            .Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Preference} {m.Exchange.Value.TrimEnd('.')}"))];
    }

    private async Task<IDnsQueryResponse> QueryAsync(string name, QueryType type, CancellationToken cancellationToken)
    {
        IDnsQueryResponse response;
        try
        {
            response = await _client.QueryAsync(name, type, QueryClass.IN, cancellationToken);
        }
        catch (DnsResponseException e)
        {
            throw new DnsUnreachableException(Describe(e), e);
        }
        catch (SocketException e)
        {
            throw new DnsUnreachableException($"DNS cannot be reached ({Resolver}): {e.Message}", e);
        }

        if (response.HasError && response.Header.ResponseCode != DnsHeaderResponseCode.NotExistentDomain)
        {
            throw new DnsUnreachableException($"DNS ({Resolver}) answered {response.ErrorMessage} for {name} {type}");
        }

        return response;
    }

    private string Describe(DnsResponseException e) => e.Code == DnsResponseCode.ConnectionTimeout
        ? string.Create(CultureInfo.InvariantCulture, $"DNS cannot be reached: {Resolver} did not answer within {Timeout.TotalSeconds:0.###} s (Dns:Server, Dns:Timeout)")
        : $"DNS cannot be reached ({Resolver}): {e.DnsError}";
}
