using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Newsletter.Data;

/// <summary>Stores an instant as Unix milliseconds (UTC); reads it back with a zero offset.</summary>
public sealed class UnixMillisecondsConverter() : ValueConverter<DateTimeOffset, long>(
    v => v.ToUnixTimeMilliseconds(),
    v => DateTimeOffset.FromUnixTimeMilliseconds(v));
