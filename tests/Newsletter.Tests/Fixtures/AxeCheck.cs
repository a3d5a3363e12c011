using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Newsletter.Tests.Fixtures;

/// <summary>axe-core's WCAG 2.2 AA rules on a page as it stands: the one way the tests run axe.</summary>
/// <remarks>
/// One <c>axe.run</c> in the page (Deque's legacy mode), not its default of a partial run per frame
/// finished in a blank page of a new browser context: that default exists to merge results across
/// cross-origin frames, and frames are checked as pages of their own here (the console's preview
/// iframe is sandboxed without scripts, so axe cannot run inside it and would wait for it for ever).
/// Measured 2026-12-08 on a loaded 2-core machine: 0.3–0.9 s a page against 1.9–4.7 s, with the same
/// findings (an image without alt and low-contrast text added to four pages: the same rules, the same
/// nodes). Should Deque remove legacy mode, <c>page.RunAxe(Options)</c> is the same check, slower.
/// </remarks>
public static class AxeCheck
{
    /// <summary>Fails with every violation and its nodes; <paramref name="what"/> names the page in the message.</summary>
    public static async Task AssertPassesAsync(IPage page, string what)
    {
#pragma warning disable CS0618 // Legacy mode on purpose: see the remarks.
        var axe = await page.RunAxeLegacy(options: Options()).WaitAsync(TimeSpan.FromMinutes(2));
#pragma warning restore CS0618
        Assert.True(axe.Violations.Length == 0, $"{what} fails axe:\n" + string.Join("\n", axe.Violations.Select(v =>
            $"  {v.Id} ({v.Impact}): {v.Help}\n" + string.Join("\n", v.Nodes.Select(n => $"    {string.Join(" ", n.Target)}: {n.Html}")))));
    }

    private static AxeRunOptions Options() => new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
        Iframes = false,

        // Only the violations carry every node: passes and the rest would be serialized whole for nothing.
        ResultTypes = [ResultType.Violations],
    };
}
