using System.Diagnostics;
using System.Text;

namespace Newsletter.Tests.Fixtures;

/// <summary>
/// What a started child process writes, stdout and stderr line by line, and a wait for the line that
/// makes a condition true: a kill test wakes on the progress line itself instead of polling for it.
/// </summary>
public sealed class ProcessLog
{
    private readonly object _gate = new();
    private readonly StringBuilder _text = new();
    private readonly List<(Func<string, bool> Condition, TaskCompletionSource Done)> _waiters = [];
    private bool _ended;

    private ProcessLog()
    {
    }

    /// <summary>Everything written so far.</summary>
    public string Text
    {
        get
        {
            lock (_gate)
            {
                return _text.ToString();
            }
        }
    }

    /// <summary>Starts reading the process's output (started with both streams redirected, as <see cref="CliProcess.Start"/> does).</summary>
    public static ProcessLog Follow(Process process)
    {
        var log = new ProcessLog();
        process.OutputDataReceived += (_, e) => log.Add(e.Data, ends: e.Data is null);
        process.ErrorDataReceived += (_, e) => log.Add(e.Data, ends: false);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return log;
    }

    /// <summary>Returns once the log makes <paramref name="condition"/> true, the process's output ends, or <paramref name="timeout"/> passes; the caller asserts which.</summary>
    public async Task WaitUntilAsync(Func<string, bool> condition, TimeSpan timeout)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_ended || condition(_text.ToString()))
            {
                return;
            }

            _waiters.Add((condition, done));
        }

        try
        {
            await done.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            lock (_gate)
            {
                _waiters.RemoveAll(w => w.Done == done);
            }
        }
    }

    private void Add(string? line, bool ends)
    {
        lock (_gate)
        {
            if (line is not null)
            {
                _text.AppendLine(line);
            }

            _ended |= ends;
            if (_waiters.Count == 0)
            {
                return;
            }

            var text = _text.ToString();
            foreach (var waiter in _waiters.Where(w => _ended || w.Condition(text)).ToList())
            {
                waiter.Done.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }
}
