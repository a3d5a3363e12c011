using Newsletter.Web;

namespace Newsletter.Audit;

/// <summary>The audit log: its table, <see cref="IAuditLog"/>, the trail of the editors' routes, GET /api/audit.</summary>
public static class AuditServiceCollectionExtensions
{
    public static IServiceCollection AddAudit(this IServiceCollection services)
    {
        services.AddSingleton<AuditLog>();
        services.AddSingleton<IAuditLog>(sp => sp.GetRequiredService<AuditLog>());
        return services;
    }

    /// <summary>After authorization (the actor is known), before the endpoints.</summary>
    public static WebApplication MapAudit(this WebApplication app)
    {
        app.UseMiddleware<AuditTrail>();
        app.MapAuditApi();
        return app;
    }
}
