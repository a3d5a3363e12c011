namespace Newsletter.Web;

/// <summary>
/// A secret that opens one route only (the bounce webhook's Bounces:WebhookKey). The admin key's
/// scheme leaves such a key to that route's own scheme instead of counting it as a wrong admin key.
/// </summary>
public interface IRouteKey
{
    bool IsValid(string? presented);
}
