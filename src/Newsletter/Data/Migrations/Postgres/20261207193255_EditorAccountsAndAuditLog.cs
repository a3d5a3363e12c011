using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Newsletter.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class EditorAccountsAndAuditLog : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "auditentries",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    at = table.Column<long>(type: "bigint", nullable: false),
                    actor = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    action = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    detail = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_auditentries", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "editors",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    email = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    addedat = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_editors", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "editorsigninlinks",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    editorid = table.Column<long>(type: "bigint", nullable: false),
                    tokenhash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    requestedat = table.Column<long>(type: "bigint", nullable: false),
                    expiresat = table.Column<long>(type: "bigint", nullable: false),
                    maildueat = table.Column<long>(type: "bigint", nullable: true),
                    mailattempts = table.Column<int>(type: "integer", nullable: false),
                    usedat = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_editorsigninlinks", x => x.id);
                    table.ForeignKey(
                        name: "FK_editorsigninlinks_editors_editorid",
                        column: x => x.editorid,
                        principalTable: "editors",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_auditentries_actor_id",
                table: "auditentries",
                columns: new[] { "actor", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_editors_email",
                table: "editors",
                column: "email",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_editorsigninlinks_editorid",
                table: "editorsigninlinks",
                column: "editorid");

            migrationBuilder.CreateIndex(
                name: "IX_editorsigninlinks_maildueat",
                table: "editorsigninlinks",
                column: "maildueat");

            migrationBuilder.CreateIndex(
                name: "IX_editorsigninlinks_tokenhash",
                table: "editorsigninlinks",
                column: "tokenhash",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "auditentries");

            migrationBuilder.DropTable(
                name: "editorsigninlinks");

            migrationBuilder.DropTable(
                name: "editors");
        }
    }
}
