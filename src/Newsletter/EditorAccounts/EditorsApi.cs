using Microsoft.AspNetCore.Http.HttpResults;
using Newsletter.Web;

namespace Newsletter.EditorAccounts;

/// <summary>A new editor, as POST /api/editors takes it.</summary>
public sealed record NewEditor(string? Email, string? Name);

/// <summary>GET/POST/DELETE /api/editors: the editors (address and name).</summary>
public static class EditorsApi
{
    public static IEndpointRouteBuilder MapEditorsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapAdminApi("/editors");
        group.MapGet("/", async (EditorDirectory editors, CancellationToken ct) => TypedResults.Ok(await editors.ListAsync(ct)));
        group.MapPost("/", AddAsync);
        group.MapDelete("/{email}", async Task<Results<NoContent, NotFound>> (string email, EditorDirectory editors, CancellationToken ct) =>
            EditorDirectory.Normalise(email, out _) is { } address && await editors.RemoveAsync(address, ct) ? TypedResults.NoContent() : TypedResults.NotFound());
        return app;
    }

    private static async Task<Results<Created<EditorView>, Ok<EditorView>, ValidationProblem>> AddAsync(NewEditor? body, EditorDirectory editors, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var email = EditorDirectory.Normalise(body?.Email, out var error);
        if (email is null)
        {
            errors["email"] = [error!];
        }

        if (body?.Name is { Length: > EditorDirectory.MaxName })
        {
            errors["name"] = [$"must be at most {EditorDirectory.MaxName} characters"];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The editor is not valid");
        }

        var added = await editors.AddAsync(email!, body!.Name, ct);
        var view = (await editors.ListAsync(ct)).Single(e => e.Email == email);
        return added == EditorAdded.Added ? TypedResults.Created($"/api/editors/{Uri.EscapeDataString(email!)}", view) : TypedResults.Ok(view);
    }
}
