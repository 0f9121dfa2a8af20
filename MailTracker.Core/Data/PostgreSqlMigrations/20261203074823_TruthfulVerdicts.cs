using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace MailTracker.Core.Data.PostgreSqlMigrations
{
    /// <inheritdoc />
    public partial class TruthfulVerdicts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.RenameColumn(
                name: "Source",
                table: "TrackingEvents",
                newName: "Verdict");

            migrationBuilder.AddColumn<int>(
                name: "ClientClass",
                table: "TrackingEvents",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<bool>(
                name: "Head",
                table: "TrackingEvents",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "Reason",
                table: "TrackingEvents",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "Settled",
                table: "TrackingEvents",
                type: "boolean",
                nullable: false,
                defaultValue: true); // events projected before verdicts settled at once

            migrationBuilder.AddColumn<bool>(
                name: "Hidden",
                table: "TrackedLinks",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "OpenInferred",
                table: "Messages",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "PrivacyOpenCount",
                table: "Messages",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "SenderSessions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    UserId = table.Column<string>(type: "text", nullable: false),
                    IpAddress = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    UserAgent = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: false),
                    LastSeenAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SenderSessions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SenderSessions_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_TrackingEvents_Unsettled",
                table: "TrackingEvents",
                column: "OccurredAt",
                filter: "NOT \"Settled\"");

            migrationBuilder.CreateIndex(
                name: "IX_SenderSessions_UserId_LastSeenAt",
                table: "SenderSessions",
                columns: new[] { "UserId", "LastSeenAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SenderSessions");

            migrationBuilder.DropIndex(
                name: "IX_TrackingEvents_Unsettled",
                table: "TrackingEvents");

            migrationBuilder.DropColumn(
                name: "ClientClass",
                table: "TrackingEvents");

            migrationBuilder.DropColumn(
                name: "Head",
                table: "TrackingEvents");

            migrationBuilder.DropColumn(
                name: "Reason",
                table: "TrackingEvents");

            migrationBuilder.DropColumn(
                name: "Settled",
                table: "TrackingEvents");

            migrationBuilder.DropColumn(
                name: "Hidden",
                table: "TrackedLinks");

            migrationBuilder.DropColumn(
                name: "OpenInferred",
                table: "Messages");

            migrationBuilder.DropColumn(
                name: "PrivacyOpenCount",
                table: "Messages");

            migrationBuilder.RenameColumn(
                name: "Verdict",
                table: "TrackingEvents",
                newName: "Source");
        }
    }
}
