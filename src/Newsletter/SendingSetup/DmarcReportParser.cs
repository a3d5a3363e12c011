using System.Globalization;
using System.IO.Compression;
using System.Xml;
using System.Xml.Linq;
using MimeKit;

namespace Newsletter.SendingSetup;

/// <summary>
/// Finds a DMARC aggregate report in a mail (RFC 7489 7.2.1: the XML, gzipped or zipped, as an
/// attachment or as the whole body) and reads it. Anyone can send such a mail to the bounce
/// mailbox, so the XML is unpacked only up to <see cref="MaxUnpackedBytes"/> and read with no DTD and
/// no resolver (no entity expansion, nothing fetched); anything else is "not a report".
/// </summary>
public static class DmarcReportParser
{
    /// <summary>Far above a real report (a large receiver's daily report is a few hundred KB).</summary>
    public const int MaxUnpackedBytes = 16 * 1024 * 1024;

    public const int MaxRows = 100_000;

    private static readonly string[] ZipTypes = ["application/zip", "application/x-zip-compressed", "application/x-zip"];
    private static readonly string[] GzipTypes = ["application/gzip", "application/x-gzip", "application/gzip-compressed"];

    /// <summary>The report in <paramref name="message"/>, or null when it carries none that can be read.</summary>
    public static DmarcReport? Find(MimeMessage message)
    {
        foreach (var part in message.BodyParts.OfType<MimePart>())
        {
            if (Unpack(part) is { } xml && Parse(xml) is { } report)
            {
                return report;
            }
        }

        return null;
    }

    private static byte[]? Unpack(MimePart part)
    {
        var type = part.ContentType.MimeType.ToLowerInvariant();
        var name = (part.FileName ?? part.ContentType.Name ?? "").ToLowerInvariant();
        var zip = ZipTypes.Contains(type) || (type == "application/octet-stream" && name.EndsWith(".zip", StringComparison.Ordinal));
        var gzip = GzipTypes.Contains(type) || (type == "application/octet-stream" && name.EndsWith(".gz", StringComparison.Ordinal));
        var xml = type is "text/xml" or "application/xml";
        if (!(zip || gzip || xml) || part.Content is null)
        {
            return null;
        }

        using var content = new MemoryStream();
        part.Content.DecodeTo(content);
        content.Position = 0;
        try
        {
            if (zip)
            {
                using var archive = new ZipArchive(content, ZipArchiveMode.Read);
                var entry = archive.Entries.FirstOrDefault(e => e.FullName.EndsWith(".xml", StringComparison.OrdinalIgnoreCase));
                if (entry is null)
                {
                    return null;
                }

                using var entryStream = entry.Open();
                return ReadCapped(entryStream);
            }

            if (gzip)
            {
                using var unzipped = new GZipStream(content, CompressionMode.Decompress);
                return ReadCapped(unzipped);
            }

            return ReadCapped(content);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            return null; // not an archive, or a broken one
        }
    }

    /// <summary>The bytes, or null when there are more than <see cref="MaxUnpackedBytes"/> (a zip bomb stops there).</summary>
    private static byte[]? ReadCapped(Stream stream)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + read > MaxUnpackedBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>Reads the feedback document of RFC 7489 appendix C; null when it is not one.</summary>
    public static DmarcReport? Parse(byte[] xml)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = MaxUnpackedBytes,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
        };
        XElement root;
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(xml), settings);
            root = XElement.Load(reader);
        }
        catch (XmlException)
        {
            return null;
        }

        // Compared by local name: the DMARC 2.0 drafts put the same elements in a namespace.
        if (root.Name.LocalName != "feedback" || Child(root, "report_metadata") is not { } metadata || Child(root, "policy_published") is not { } policy)
        {
            return null;
        }

        var organization = Text(metadata, "org_name");
        var reportId = Text(metadata, "report_id");
        var domain = Text(policy, "domain");
        var range = Child(metadata, "date_range");
        if (organization is null || reportId is null || domain is null
            || !long.TryParse(Text(range, "begin"), NumberStyles.None, CultureInfo.InvariantCulture, out var begin)
            || !long.TryParse(Text(range, "end"), NumberStyles.None, CultureInfo.InvariantCulture, out var end)
            || begin > 253402300799 || end > 253402300799)
        {
            return null;
        }

        var report = new DmarcReport
        {
            Organization = Cut(organization, DmarcReport.TextLength),
            ReportId = Cut(reportId, DmarcReport.TextLength),
            Domain = Cut(domain.ToLowerInvariant(), DmarcReport.TextLength),
            Policy = Text(policy, "p") is { } p ? Cut(p, 16) : null,
            Begin = DateTimeOffset.FromUnixTimeSeconds(begin),
            End = DateTimeOffset.FromUnixTimeSeconds(end),
        };
        foreach (var record in root.Elements().Where(e => e.Name.LocalName == "record"))
        {
            var row = Child(record, "row");
            var evaluated = Child(row, "policy_evaluated");
            if (Text(row, "source_ip") is not { } ip || !int.TryParse(Text(row, "count"), NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            {
                return null;
            }

            if (report.Rows.Count == MaxRows)
            {
                return null;
            }

            report.Rows.Add(new DmarcReportRow
            {
                SourceIp = Cut(ip, 45),
                Count = count,
                DkimAligned = Text(evaluated, "dkim") == "pass",
                SpfAligned = Text(evaluated, "spf") == "pass",
                Disposition = Cut(Text(evaluated, "disposition") ?? "none", 16),
            });
        }

        return report;
    }

    private static XElement? Child(XElement? parent, string name) => parent?.Elements().FirstOrDefault(e => e.Name.LocalName == name);

    private static string? Text(XElement? parent, string name) => Child(parent, name)?.Value.Trim() is { Length: > 0 } text ? text : null;

    private static string Cut(string text, int length) => text.Length <= length ? text : text[..length];
}
