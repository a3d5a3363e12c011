namespace Newsletter.Benchmarks.Infrastructure;

/// <summary>Where the harness finds the checkout, its own scripts, and the folders it may write to.</summary>
internal static class BenchPaths
{
    /// <summary>The folder holding Newsletter.sln, found from the binary so any working directory works.</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string ProjectDir => Path.Combine(RepoRoot, "tests", "Newsletter.Benchmarks");

    /// <summary>The JS and Python clients and the measuring wrapper, copied beside the program.</summary>
    public static string Scripts => Path.Combine(AppContext.BaseDirectory, "scripts");

    /// <summary>The sample comparison documents, copied beside the program from tests/data.</summary>
    public static string Comparisons => Path.Combine(AppContext.BaseDirectory, "data");

    /// <summary>Gitignored: npm installs nodemailer here.</summary>
    public static string Cache => Path.Combine(ProjectDir, ".cache");

    /// <summary>The product built by the project reference, runnable as its own process.</summary>
    public static string ProductDll => Path.Combine(AppContext.BaseDirectory, "Newsletter.dll");

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Newsletter.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Run the benchmarks from a checkout: no Newsletter.sln above " + AppContext.BaseDirectory);
    }
}
