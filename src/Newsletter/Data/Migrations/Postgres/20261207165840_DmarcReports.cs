using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Newsletter.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class DmarcReports : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "dmarcreports",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    organization = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    reportid = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    domain = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    policy = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    begin = table.Column<long>(type: "bigint", nullable: false),
                    end = table.Column<long>(type: "bigint", nullable: false),
                    receivedat = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_dmarcreports", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "dmarcreportrows",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    dmarcreportid = table.Column<long>(type: "bigint", nullable: false),
                    sourceip = table.Column<string>(type: "character varying(45)", maxLength: 45, nullable: false),
                    count = table.Column<int>(type: "integer", nullable: false),
                    dkimaligned = table.Column<bool>(type: "boolean", nullable: false),
                    spfaligned = table.Column<bool>(type: "boolean", nullable: false),
                    disposition = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_dmarcreportrows", x => x.id);
                    table.ForeignKey(
                        name: "FK_dmarcreportrows_dmarcreports_dmarcreportid",
                        column: x => x.dmarcreportid,
                        principalTable: "dmarcreports",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_dmarcreportrows_dmarcreportid",
                table: "dmarcreportrows",
                column: "dmarcreportid");

            migrationBuilder.CreateIndex(
                name: "IX_dmarcreports_end",
                table: "dmarcreports",
                column: "end");

            migrationBuilder.CreateIndex(
                name: "IX_dmarcreports_organization_reportid",
                table: "dmarcreports",
                columns: new[] { "organization", "reportid" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "dmarcreportrows");

            migrationBuilder.DropTable(
                name: "dmarcreports");
        }
    }
}
