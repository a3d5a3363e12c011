using Newsletter.Mail;

namespace Newsletter.Digests;

/// <summary>
/// A rendered body cut at its personal placeholders: literal segments with numbered slots between
/// them (any number of markers). Filling it gives the mail's <see cref="MailBody"/>: the shared
/// segments are encoded once per issue by the <see cref="BodyTemplate"/>, so a reader costs only
/// their own values. No template runs, no regex, no shared mutable state: <see cref="Fill"/> is
/// thread-safe.
/// </summary>
internal sealed class PersonalizedText
{
    private readonly BodyTemplate _template;

    private PersonalizedText(string[] literals, int[] slots) => _template = new BodyTemplate(literals, slots);

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

    /// <summary>The body with slot i holding <paramref name="values"/>[i] (already escaped as the output needs).</summary>
    public MailBody Fill(string[] values) => _template.With(values);
}
