using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MailTracker.Core.Data.PostgreSqlMigrations
{
    /// <inheritdoc />
    public partial class TrackingIntakeCursor : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ProjectionCursors",
                columns: table => new
                {
                    Name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Position = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ProjectionCursors", x => x.Name);
                });

            migrationBuilder.InsertData(
                table: "ProjectionCursors",
                columns: new[] { "Name", "Position" },
                values: new object[] { "tracking", 0L });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ProjectionCursors");
        }
    }
}
