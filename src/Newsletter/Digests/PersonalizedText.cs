namespace Newsletter.Digests;

/// <summary>
/// A rendered body cut at its personal placeholders: literal segments with numbered slots between
/// them. Filling it is one exact-size string copy per reader; no template runs, no regex, no
/// shared mutable state, so <see cref="Fill"/> is thread-safe.
/// </summary>
internal sealed class PersonalizedText
{
    private readonly string[] _literals;
    private readonly int[] _slots;
    private readonly int _literalLength;

    private PersonalizedText(string[] literals, int[] slots)
    {
        _literals = literals;
        _slots = slots;
        _literalLength = literals.Sum(l => l.Length);
    }

    /// <summary>Cuts <paramref name="rendered"/> at every occurrence of each marker; marker i fills slot i.</summary>
    public static PersonalizedText Split(string rendered, IReadOnlyList<string> markers)
    {
        var literals = new List<string>();
        var slots = new List<int>();
        var position = 0;
        while (true)
        {
            var next = -1;
            var slot = -1;
            for (var i = 0; i < markers.Count; i++)
            {
                var found = rendered.IndexOf(markers[i], position, StringComparison.Ordinal);
                if (found >= 0 && (next < 0 || found < next))
                {
                    next = found;
                    slot = i;
                }
            }

            if (next < 0)
            {
                literals.Add(rendered[position..]);
                return new PersonalizedText([.. literals], [.. slots]);
            }

            literals.Add(rendered[position..next]);
            slots.Add(slot);
            position = next + markers[slot].Length;
        }
    }

    /// <summary>The text with slot i replaced by <paramref name="values"/>[i] (already escaped as the output needs).</summary>
    public string Fill(string[] values)
    {
        var length = _literalLength;
        foreach (var slot in _slots)
        {
            length += values[slot].Length;
        }

        return string.Create(length, (this, values), static (span, state) =>
        {
            var (self, values) = state;
            var at = 0;
            for (var i = 0; i < self._slots.Length; i++)
            {
                self._literals[i].AsSpan().CopyTo(span[at..]);
                at += self._literals[i].Length;
                var value = values[self._slots[i]];
                value.AsSpan().CopyTo(span[at..]);
                at += value.Length;
            }

            self._literals[^1].AsSpan().CopyTo(span[at..]);
        });
    }
}
