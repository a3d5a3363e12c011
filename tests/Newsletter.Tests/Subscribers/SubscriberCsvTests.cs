using System.Text;
using CsvHelper;
using Newsletter.Subscribers;

namespace Newsletter.Tests.Subscribers;

/// <summary>The CSV rules on their own: reading lines and reasons, writing defused cells.</summary>
public sealed class SubscriberCsvTests
{
    private static Task<ParsedImport> ReadAsync(string csv) =>
        SubscriberCsv.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)), CancellationToken.None);

    [Fact]
    public async Task LinesAreCountedAsTheFileShowsThemAcrossQuotedLineBreaksAndBlankLines()
    {
        var parsed = await ReadAsync("email,name\n\"a@example.com\",\"One\nTwo\nThree\"\n\nbad\nb@example.com,\"x\"\"y\"\n");

        Assert.Equal([(2, "a@example.com", "One Two Three"), (7, "b@example.com", "x\"y")],
            parsed.Rows.Select(r => (r.Line, r.Email.Value, r.Name!)));
        Assert.Equal(6, Assert.Single(parsed.Invalid).Line);
    }

    [Fact]
    public async Task AByteOrderMarkAndCrLfLinesAreFine()
    {
        var parsed = await ReadAsync("\uFEFFemail,name,status\r\nbom@example.com,Bo,Pending\r\n");

        var row = Assert.Single(parsed.Rows);
        Assert.Equal(SubscriberStatus.Pending, row.Status);
        Assert.Empty(parsed.Invalid);
    }

    [Fact]
    public async Task EmptyInputIsNotAnImport()
    {
        await Assert.ThrowsAsync<SubscriberCsvException>(() => ReadAsync(""));
        await Assert.ThrowsAsync<SubscriberCsvException>(() => ReadAsync("\n\n"));
    }

    [Fact]
    public async Task WrittenCellsThatStartLikeFormulasGetAnApostrophe()
    {
        var subscriber = new Subscriber
        {
            Email = "-x@example.com", EmailKey = "-x@example.com", Name = "\tTab", UnsubscribeToken = "t",
            ConsentSource = "\rCR", ConsentIp = "=1+1",
        };
        var stream = new MemoryStream();
        await using (var writer = CsvWriter.Create(stream, SubscriberCsv.WriterOptions, leaveOpen: true))
        {
            writer.WriteRecord(SubscriberCsv.Fields(subscriber));
        }

        stream.Position = 0;
        using var reader = CsvReader.Create(stream, new CsvReaderOptions { Separator = ',', HasHeader = false });
        Assert.True(reader.Read());
        Assert.Equal("'-x@example.com", reader.GetString(0));
        Assert.Equal("'\tTab", reader.GetString(1));
        Assert.Equal("'=1+1", reader.GetString(5));
        Assert.Equal("'\rCR", reader.GetString(6));
    }
}
