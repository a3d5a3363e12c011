namespace Newsletter.EditorAccounts;

/// <summary>Editors as people: their table, the seed from Newsletter:Editors, sign-in links by mail, /api/editors.</summary>
public static class EditorAccountsServiceCollectionExtensions
{
    public static IServiceCollection AddEditorAccounts(this IServiceCollection services)
    {
        services.AddScoped<EditorDirectory>();
        services.AddScoped<Digests.IEditorAddresses, EditorAddresses>();
        services.AddScoped<SignInLinks>();
        services.AddSingleton<SignInBacklog>();
        services.AddSingleton<SignInMail>();
        services.AddSingleton<EditorSeed>();
        services.AddHostedService(sp => sp.GetRequiredService<EditorSeed>());
        services.AddSingleton<SignInMailer>();
        services.AddHostedService(sp => sp.GetRequiredService<SignInMailer>());
        return services;
    }

    public static IEndpointRouteBuilder MapEditorAccounts(this IEndpointRouteBuilder app)
    {
        app.MapSignInPages();
        app.MapEditorsApi();
        return app;
    }
}
