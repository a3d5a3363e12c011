using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Newsletter.Data.Migrations
{
    /// <summary>
    /// The recipient domains the reputation guard paused (Bounces:DomainGuard): the claims pass over
    /// their mail until an editor resumes the domain or cancels its mail. The same change as the
    /// PostgreSQL migration of this name.
    /// </summary>
    /// <remarks>
    /// Written by hand: `dotnet ef migrations add` for this context produced the PostgreSQL migration
    /// (as for FailureReasons). The snapshot was updated with it.
    /// </remarks>
    [DbContext(typeof(NewsletterDbContext))]
    [Migration("20261207172022_PausedDomains")]
    public partial class PausedDomains : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "PausedDomains",
                columns: table => new
                {
                    Domain = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    Samples = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    IssueId = table.Column<long>(type: "INTEGER", nullable: true),
                    TrippedAt = table.Column<long>(type: "INTEGER", nullable: false),
                },
                constraints: table => table.PrimaryKey("PK_PausedDomains", x => x.Domain));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable(name: "PausedDomains");
    }
}
