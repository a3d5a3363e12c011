using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Newsletter.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ReaderDataRequests : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "readerdatarequests",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    subscriberid = table.Column<long>(type: "bigint", nullable: false),
                    purpose = table.Column<string>(type: "text", nullable: false),
                    requestedat = table.Column<long>(type: "bigint", nullable: false),
                    tokenhash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    expiresat = table.Column<long>(type: "bigint", nullable: true),
                    maildueat = table.Column<long>(type: "bigint", nullable: true),
                    mailattempts = table.Column<int>(type: "integer", nullable: false),
                    usedat = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_readerdatarequests", x => x.id);
                    table.ForeignKey(
                        name: "FK_readerdatarequests_subscribers_subscriberid",
                        column: x => x.subscriberid,
                        principalTable: "subscribers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_readerdatarequests_maildueat",
                table: "readerdatarequests",
                column: "maildueat");

            migrationBuilder.CreateIndex(
                name: "IX_readerdatarequests_subscriberid",
                table: "readerdatarequests",
                column: "subscriberid");

            migrationBuilder.CreateIndex(
                name: "IX_readerdatarequests_tokenhash",
                table: "readerdatarequests",
                column: "tokenhash",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "readerdatarequests");
        }
    }
}
