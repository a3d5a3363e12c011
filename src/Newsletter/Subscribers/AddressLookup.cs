using System.Globalization;
using System.Text;

namespace Newsletter.Subscribers;

/// <summary>
/// The keys under which an address that comes back from outside (a provider's webhook) may be
/// stored: providers report the address as the mail went out, with an international domain in its
/// ASCII form (idn1@xn--bcher-kva.example), while signup kept what the reader typed
/// (idn1@bücher.example). New keys are canonical (<see cref="EmailAddress.KeyOf"/>, the first key
/// here); a row stored before that keeps its old key until it is re-keyed, and is still found by
/// the older forms that follow.
/// </summary>
public static class AddressLookup
{
    public static IReadOnlyList<string> KeysOf(string address)
    {
        var key = EmailAddress.KeyOf(address);
        var keys = new List<string> { key };
        var at = key.LastIndexOf('@');
        if (at <= 0 || at == key.Length - 1)
        {
            return keys;
        }

        var local = key[..at].Normalize(NormalizationForm.FormC);
        var domain = key[(at + 1)..];
        var idn = new IdnMapping();
        foreach (var form in new Func<string, string>[] { d => d, idn.GetUnicode, idn.GetAscii })
        {
            try
            {
                var candidate = $"{local}@{form(domain).Normalize(NormalizationForm.FormC)}".ToLowerInvariant();
                if (!keys.Contains(candidate))
                {
                    keys.Add(candidate);
                }
            }
            catch (ArgumentException)
            {
                // Not a valid IDN label: the address as given is the only key.
            }
        }

        return keys;
    }
}
