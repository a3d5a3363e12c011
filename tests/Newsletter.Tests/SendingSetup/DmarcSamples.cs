using System.IO.Compression;
using System.Text;
using MimeKit;

namespace Newsletter.Tests.SendingSetup;

/// <summary>
/// DMARC aggregate reports as receivers send them (RFC 7489 appendix C): Google's zip attachment
/// and Microsoft's gzip one, with the XML written by hand in their format.
/// </summary>
public static class DmarcSamples
{
    public static string GoogleXml(string domain) => $"""
        <?xml version="1.0" encoding="UTF-8" ?>
        <feedback>
          <report_metadata>
            <org_name>google.com</org_name>
            <email>noreply-dmarc-support@google.com</email>
            <extra_contact_info>https://support.google.com/a/answer/2466580</extra_contact_info>
            <report_id>13061986251637412345</report_id>
            <date_range>
              <begin>1796342400</begin>
              <end>1796428799</end>
            </date_range>
          </report_metadata>
          <policy_published>
            <domain>{domain}</domain>
            <adkim>r</adkim>
            <aspf>r</aspf>
            <p>quarantine</p>
            <sp>quarantine</sp>
            <pct>100</pct>
            <np>quarantine</np>
          </policy_published>
          <record>
            <row>
              <source_ip>203.0.113.25</source_ip>
              <count>1200</count>
              <policy_evaluated>
                <disposition>none</disposition>
                <dkim>pass</dkim>
                <spf>pass</spf>
              </policy_evaluated>
            </row>
            <identifiers>
              <header_from>{domain}</header_from>
            </identifiers>
            <auth_results>
              <dkim>
                <domain>{domain}</domain>
                <result>pass</result>
                <selector>s1</selector>
              </dkim>
              <spf>
                <domain>{domain}</domain>
                <result>pass</result>
              </spf>
            </auth_results>
          </record>
          <record>
            <row>
              <source_ip>198.51.100.7</source_ip>
              <count>3</count>
              <policy_evaluated>
                <disposition>quarantine</disposition>
                <dkim>fail</dkim>
                <spf>fail</spf>
              </policy_evaluated>
            </row>
            <identifiers>
              <header_from>{domain}</header_from>
            </identifiers>
            <auth_results>
              <spf>
                <domain>spoofer.example</domain>
                <result>pass</result>
              </spf>
            </auth_results>
          </record>
        </feedback>
        """;

    public static string MicrosoftXml(string domain) => $"""
        <?xml version="1.0"?>
        <feedback xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
          <version>1.0</version>
          <report_metadata>
            <org_name>Outlook.com</org_name>
            <email>dmarcreport@microsoft.com</email>
            <report_id>c1e5a0f4d8b94a2f9f6e7d2b1a0c3e4f</report_id>
            <date_range>
              <begin>1796342400</begin>
              <end>1796428800</end>
            </date_range>
          </report_metadata>
          <policy_published>
            <domain>{domain}</domain>
            <adkim>r</adkim>
            <aspf>r</aspf>
            <p>quarantine</p>
            <sp>quarantine</sp>
            <pct>100</pct>
            <fo>0</fo>
          </policy_published>
          <record>
            <row>
              <source_ip>203.0.113.25</source_ip>
              <count>450</count>
              <policy_evaluated>
                <disposition>none</disposition>
                <dkim>pass</dkim>
                <spf>fail</spf>
              </policy_evaluated>
            </row>
            <identifiers>
              <envelope_to>outlook.com</envelope_to>
              <envelope_from>{domain}</envelope_from>
              <header_from>{domain}</header_from>
            </identifiers>
            <auth_results>
              <dkim>
                <domain>{domain}</domain>
                <selector>s1</selector>
                <result>pass</result>
              </dkim>
              <spf>
                <domain>{domain}</domain>
                <scope>mfrom</scope>
                <result>softfail</result>
              </spf>
            </auth_results>
          </record>
        </feedback>
        """;

    /// <summary>Google's way: application/zip, named receiver!domain!begin!end.zip.</summary>
    public static MimeMessage Zipped(string domain)
    {
        using var zip = new MemoryStream();
        var name = $"google.com!{domain}!1796342400!1796428799";
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = archive.CreateEntry(name + ".xml").Open();
            entry.Write(Encoding.UTF8.GetBytes(GoogleXml(domain)));
        }

        return Mail("noreply-dmarc-support@google.com", $"Report domain: {domain} Submitter: google.com Report-ID: 13061986251637412345",
            "<13061986251637412345@google.com>", new MimePart("application", "zip") { FileName = name + ".zip" }, zip.ToArray());
    }

    /// <summary>Microsoft's way: application/gzip, .xml.gz.</summary>
    public static MimeMessage Gzipped(string domain) => GzippedXml(
        MicrosoftXml(domain), "dmarcreport@microsoft.com", $"Report Domain: {domain} Submitter: enterprise.protection.outlook.com Report-ID: <c1e5a0f4d8b94a2f9f6e7d2b1a0c3e4f>",
        "<outlook-report-1@microsoft.com>", $"enterprise.protection.outlook.com!{domain}!1796342400!1796428800.xml.gz");

    public static MimeMessage GzippedXml(string xml, string from, string subject, string messageId, string fileName)
    {
        using var gz = new MemoryStream();
        using (var gzip = new GZipStream(gz, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(xml));
        }

        return Mail(from, subject, messageId, new MimePart("application", "gzip") { FileName = fileName }, gz.ToArray());
    }

    private static MimeMessage Mail(string from, string subject, string messageId, MimePart attachment, byte[] content)
    {
        attachment.Content = new MimeContent(new MemoryStream(content));
        attachment.ContentTransferEncoding = ContentEncoding.Base64;
        attachment.ContentDisposition = new ContentDisposition(ContentDisposition.Attachment);
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse("bounces@right.example"));
        message.Subject = subject;
        message.MessageId = messageId.Trim('<', '>');
        message.Body = new Multipart("mixed")
        {
            new TextPart("plain") { Text = "This is an aggregate report from " + from + "." },
            attachment,
        };
        return message;
    }
}
