namespace Newsletter.Clicks;

/// <summary>
/// The one place that decides which requests to a tracked link are not a reader's click. Link
/// scanners (Outlook Safe Links, Proofpoint, Mimecast, Barracuda…) open every link of a mail,
/// usually before the reader sees it:
/// 1. a HEAD request is never a click;
/// 2. a user agent naming a known scanner, a headless browser or an HTTP library (or none at all) is not a reader;
/// 3. requests to tracked links of one mail less than Tracking:ScannerBurst (3 s) apart form a
///    burst; a burst of two or more is a scanner opening the mail's links, and none of its requests
///    count (they are kept, marked, so a later request can still join the burst).
/// A reader opens one link and reads; the next click from the same mail comes well after 3 s.
/// </summary>
public static class ScannerRule
{
    private static readonly string[] ScannerAgents =
    [
        "scan", "safelinks", "safe links", "bingpreview", "microsoft office", "proofpoint", "urldefense", "mimecast",
        "barracuda", "messagelabs", "symantec", "forcepoint", "trend micro", "trendmicro", "sophos", "fireeye",
        "ironport", "cisco", "zscaler", "checkpoint", "avanan", "fortinet", "headlesschrome", "phantomjs",
        "python-requests", "python-urllib", "curl/", "wget/", "go-http-client", "java/", "okhttp", "libwww",
        "httpclient", "bot", "crawler", "spider", "preview",
    ];

    public static bool IsScannerAgent(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent))
        {
            return true;
        }

        foreach (var marker in ScannerAgents)
        {
            if (userAgent.Contains(marker, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
