using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;

namespace Newsletter.Data;

/// <summary>
/// A key the product makes for itself and keeps in its database (base64), so that every instance
/// on one database uses the same one. Never logged, never exported.
/// </summary>
public sealed class StoredSecret
{
    public required string Name { get; set; }

    public required string Value { get; set; }

    /// <summary>The named secret, made (32 random bytes) and stored on first use; a racing instance's wins.</summary>
    public static byte[] GetOrCreate(NewsletterDbContext db, string name)
    {
        var stored = db.Secrets.AsNoTracking().SingleOrDefault(s => s.Name == name);
        if (stored is null)
        {
            try
            {
                db.Secrets.Add(new StoredSecret { Name = name, Value = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) });
                db.SaveChanges();
            }
            catch (DbUpdateException)
            {
                // Another instance stored it first: use theirs.
            }

            db.ChangeTracker.Clear();
            stored = db.Secrets.AsNoTracking().Single(s => s.Name == name);
        }

        return Convert.FromBase64String(stored.Value);
    }
}
